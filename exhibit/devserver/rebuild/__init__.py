"""The preview's incremental rebuild: it keeps parsed files, the model and rendered pages between saves
and redoes what an edit touched. Kept apart from the server itself; the build engine replaces it."""
