// The pipeline board: renders what /board/api answers; every request carries Telegram's initData.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const params = (text) => new URLSearchParams((text || "").replace(/^[#?]/, ""));
  const fragment = params(location.hash);
  const query = params(location.search);
  // Inside Telegram the fragment names the platform; a signed link opened in a browser does not.
  const insideTelegram = fragment.has("tgWebAppPlatform") || "TelegramWebviewProxy" in window;

  let initData = fragment.get("tgWebAppData") || query.get("tgWebAppData") || "";
  let strings = {};
  let board = null;
  let current = null; // the deal shown in the sheet
  const filter = { owner: "", month: "", campaign: "" };

  function applyTheme(theme) {
    const root = document.documentElement.style;
    for (const [key, value] of Object.entries(theme || {})) {
      root.setProperty("--tg-theme-" + key.replace(/_/g, "-"), value);
    }
  }

  function loadTelegram() {
    return new Promise((resolve) => {
      const script = document.createElement("script");
      script.src = "https://telegram.org/js/telegram-web-app.js";
      script.onload = () => {
        const app = window.Telegram && window.Telegram.WebApp;
        if (app) {
          initData = app.initData || initData;
          applyTheme(app.themeParams);
          app.onEvent("themeChanged", () => applyTheme(app.themeParams));
          app.ready();
          app.expand();
        }
        resolve();
      };
      script.onerror = resolve;
      document.head.appendChild(script);
    });
  }

  function notice(text, kind) {
    const box = $("notice");
    box.textContent = text;
    box.className = kind || "";
    box.hidden = !text;
    if (text && kind !== "error") setTimeout(() => { if (box.textContent === text) box.hidden = true; }, 4000);
  }

  async function api(path, body) {
    const options = { headers: { Authorization: "tma " + initData } };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch("api/" + path, options);
    } catch (error) {
      notice(strings.offline || "…", "error");
      throw error;
    }
    const data = await response.json().catch(() => ({}));
    if (response.ok) return data;
    if (response.status === 401) notice(strings.unsigned || "401", "error");
    else notice(data.error || String(response.status), "error");
    const failure = new Error(data.error || String(response.status));
    failure.status = response.status;
    throw failure;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function option(value, label, selected) {
    const node = el("option", "", label);
    node.value = value;
    node.selected = String(selected) === String(value);
    return node;
  }

  function fillFilters() {
    const owner = $("owner");
    owner.replaceChildren(option("mine", strings.mine, board.filter.owner));
    if (board.me.manager) {
      owner.append(option("team", strings.team, board.filter.owner));
      for (const person of board.people) owner.append(option(person.id, person.name, board.filter.owner));
    }
    owner.hidden = !board.me.manager;
    const month = $("month");
    month.replaceChildren(option("", strings.all_months, board.filter.month));
    for (const item of board.months) month.append(option(item.value, item.label, board.filter.month));
    const campaign = $("campaign");
    campaign.replaceChildren(option("", strings.all_campaigns, board.filter.campaign));
    for (const item of board.campaigns) campaign.append(option(item.id, item.name, board.filter.campaign));
    campaign.hidden = board.campaigns.length === 0;
  }

  function renderCard(card) {
    const node = el("article", "card" + (card.overdue ? " overdue" : "") + " " + card.result);
    node.draggable = card.result === "open";
    node.dataset.id = card.id;
    node.dataset.version = card.version;
    const top = el("div", "card-top");
    top.append(el("strong", "card-name", card.name));
    top.append(el("span", "owner", card.owner));
    top.lastChild.title = card.owner_name;
    node.append(top);
    if (card.account) node.append(el("div", "account", card.account));
    const facts = el("div", "facts");
    facts.append(el("span", "amount", card.amount_text));
    const when = el("span", "date", card.close_text);
    if (card.overdue) when.append(el("em", "late", " · " + strings.overdue));
    facts.append(when);
    node.append(facts);
    const foot = el("div", "card-foot");
    if (card.rating) facts.append(el("span", "rating " + card.rating, card.rating_text));
    const move = el("select", "move");
    move.setAttribute("aria-label", strings.move_to);
    move.append(option("", strings.move_to, ""));
    for (const column of board.columns) {
      if (column.stage_id !== card.stage_id) move.append(option(column.stage_id, column.name, ""));
    }
    move.addEventListener("click", (event) => event.stopPropagation());
    move.addEventListener("change", () => {
      if (move.value) moveCard(card, Number(move.value)).catch(() => {});
    });
    foot.append(move);
    node.append(foot);
    node.addEventListener("click", () => openDeal(card.id).catch(() => {}));
    node.addEventListener("dragstart", (event) => {
      event.dataTransfer.setData("text/plain", String(card.id));
      event.dataTransfer.effectAllowed = "move";
    });
    return node;
  }

  function renderColumn(column) {
    const node = el("section", "column " + column.kind);
    node.dataset.stage = column.stage_id;
    const head = el("header", "column-head");
    const title = el("h2", "", column.name);
    title.append(el("span", "count", column.count_text));
    head.append(title);
    for (const total of column.totals) {
      const line = el("p", "totals");
      line.append(el("b", "sum", total.amount_text));
      line.append(el("span", "weighted", strings.weighted + " " + total.weighted_text));
      head.append(line);
    }
    node.append(head);
    const list = el("div", "cards");
    const cards = board.cards.filter((card) => card.stage_id === column.stage_id);
    for (const card of cards) list.append(renderCard(card));
    if (!cards.length) list.append(el("p", "empty", strings.empty));
    node.append(list);
    node.addEventListener("dragover", (event) => { event.preventDefault(); node.classList.add("target"); });
    node.addEventListener("dragleave", () => node.classList.remove("target"));
    node.addEventListener("drop", (event) => {
      event.preventDefault();
      node.classList.remove("target");
      const card = board.cards.find((item) => String(item.id) === event.dataTransfer.getData("text/plain"));
      if (card && card.stage_id !== column.stage_id) moveCard(card, column.stage_id).catch(() => {});
    });
    return node;
  }

  // Text shaped before a web font arrives can stay as empty boxes (Chromium caches the
  // shaped words), so the Thai font is loaded before any Thai text is drawn.
  let thaiFontLoaded = null;
  function thaiFont() {
    thaiFontLoaded = thaiFontLoaded || Promise.all([
      document.fonts.load("400 16px Sarabun", "ก"),
      document.fonts.load("700 16px Sarabun", "ก"),
    ]).catch(() => {});
    return thaiFontLoaded;
  }

  async function load() {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(filter)) if (value) search.set(key, value);
    $("board").setAttribute("aria-busy", "true");
    if (strings.loading) $("board").dataset.loading = strings.loading;
    board = await api("board?" + search.toString());
    if (board.me.language === "th") await thaiFont();
    strings = board.strings;
    document.documentElement.lang = board.me.language;
    document.title = strings.title;
    $("title").textContent = strings.title;
    fillFilters();
    renderStages();
    $("board").replaceChildren(...board.columns.map(renderColumn));
    $("board").setAttribute("aria-busy", "false");
  }

  async function moveCard(card, stageId) {
    const column = board.columns.find((item) => item.stage_id === stageId);
    const body = { stage_id: stageId, version: card.version };
    if (column && column.kind === "lost") {
      const reason = await askReason();
      if (!reason) return load();
      body.reason = reason;
    }
    try {
      await api("deals/" + card.id + "/move", body);
      notice(strings.saved);
    } finally {
      await load();
    }
  }

  // An in-page question: window.prompt is not offered by every Telegram client.
  function askReason() {
    const dialog = $("reason");
    $("reason-text").value = "";
    return new Promise((resolve) => {
      dialog.addEventListener("close", () => {
        resolve(dialog.returnValue === "save" ? $("reason-text").value.trim() : "");
      }, { once: true });
      dialog.showModal();
      $("reason-text").focus();
    });
  }

  function renderStages() {
    const chips = board.columns.map((column) => {
      const chip = el("button", "chip " + column.kind);
      chip.type = "button";
      chip.dataset.stage = column.stage_id;
      chip.append(el("span", "chip-name", column.name));
      const first = column.totals[0];
      chip.append(el("span", "chip-sum", column.count + (first ? " · " + first.amount_text : "")));
      chip.addEventListener("click", () => {
        const target = document.querySelector('section.column[data-stage="' + column.stage_id + '"]');
        if (target) target.scrollIntoView({ behavior: "smooth", inline: "start", block: "nearest" });
      });
      return chip;
    });
    $("stages").replaceChildren(...chips);
  }

  function showDeal(deal) {
    current = deal;
    $("deal-name").textContent = deal.name;
    const filled = deal.lines.slice(1).filter((line) => !/:\s*—$/.test(line));
    $("deal-lines").replaceChildren(...filled.map((line) => el("li", "", line)));
    $("deal-history").replaceChildren(...deal.history.map((line) => el("li", "", line)));
    $("close-date").value = deal.close_date;
    $("act-won").hidden = deal.result !== "open";
    $("act-lost").hidden = deal.result !== "open";
    $("lost-box").hidden = true;
    $("lost-reason").value = "";
    $("note-text").value = "";
  }

  async function openDeal(id) {
    showDeal(await api("deals/" + id));
    const dialog = $("deal");
    if (!dialog.open) dialog.showModal();
  }

  async function act(path, body) {
    try {
      showDeal(await api("deals/" + current.id + "/" + path, body));
      notice(strings.saved);
    } catch (error) {
      if (error.status === 409) await openDeal(current.id);
    }
    await load();
  }

  function wire() {
    for (const id of ["owner", "month", "campaign"]) {
      $(id).addEventListener("change", () => { filter[id] = $(id).value; load().catch(() => {}); });
    }
    const labels = {
      "act-won": "won", "act-lost": "lost", "lost-label": "lost_reason", "lost-save": "save",
      "date-label": "close_date", "date-save": "save", "note-label": "note", "note-save": "save",
      "history-title": "history", "reason-label": "lost_reason", "reason-save": "save",
      "reason-cancel": "cancel",
    };
    for (const [id, key] of Object.entries(labels)) $(id).textContent = strings[key];
    $("act-won").onclick = () => act("won", { version: current.version });
    $("act-lost").onclick = () => { $("lost-box").hidden = false; $("lost-reason").focus(); };
    $("lost-save").onclick = () => act("lost", { version: current.version, reason: $("lost-reason").value });
    $("date-save").onclick = () => act("close-date", { version: current.version, date: $("close-date").value });
    $("note-save").onclick = () => act("note", { text: $("note-text").value });
  }

  async function start() {
    try {
      applyTheme(JSON.parse(fragment.get("tgWebAppThemeParams") || "{}"));
    } catch (error) { /* a malformed theme keeps the defaults */ }
    if (insideTelegram) await loadTelegram();
    if (!initData) {
      notice("Open the board from the bot's menu in Telegram.", "error");
      return;
    }
    await load();
    wire();
  }

  document.addEventListener("DOMContentLoaded", () => { start().catch(() => {}); });
})();
