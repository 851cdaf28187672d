"""Alembic migrations for the dealbot schema."""
