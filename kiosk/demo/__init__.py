"""Demo stores: a French brasserie and a burger restaurant, with their menus."""
