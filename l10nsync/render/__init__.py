"""Renderers: each turns a Report into text for one format."""
