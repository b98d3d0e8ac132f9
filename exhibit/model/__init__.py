"""The site as data: settings, units, the collections and their items, media and Markdown stories,
validated and cross-referenced. Built from what read/ produced; knows nothing of pages."""
