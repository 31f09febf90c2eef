"""Sphinx configuration of the heat-glance-meta-tests release notes."""

extensions = ['reno.sphinxext']
project = 'heat-glance-meta-tests Release Notes'
copyright = 'OpenStack Contributors'
master_doc = 'index'
html_theme = 'alabaster'
