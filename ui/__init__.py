"""Streamlit glue shared by the pages: language, URL-synced choices, notices, chart config.

This is the only place besides app.py and app_pages/ that imports Streamlit; ``lossviz/`` never does.
"""
