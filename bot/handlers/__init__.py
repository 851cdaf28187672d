"""One-shot commands and callbacks, one package per feature; `bot.routes` orders them."""
