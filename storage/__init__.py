"""The CRM domain: models, migrations, services and queries. Knows nothing of Telegram."""
