"""Streamlit glue shared by the pages: language, URL-synced choices, notices, chart config.

This is the only place besides app.py and pages/ that imports Streamlit; ``lossviz/`` never does.
"""
