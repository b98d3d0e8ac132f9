"""Reading content/: walk the folders, decode (BOM, GBK), split front matter with line numbers, read typed fields,
dates and slugs, and lint the copy. Nothing here knows what a worker or a team is."""
