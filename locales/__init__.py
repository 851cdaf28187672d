"""Gettext catalogs (vi, th, en) shipped as package data."""
