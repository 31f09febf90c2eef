"""Sphinx configuration of the heat-glance-meta-tests documentation."""

extensions = [
    'oslo_config.sphinxext',
    'reno.sphinxext',
]

project = 'heat-glance-meta-tests'
copyright = 'OpenStack Contributors'
master_doc = 'index'
exclude_patterns = []
html_theme = 'alabaster'
pygments_style = 'sphinx'
