"""German text: the analyser (a Whoosh analysis chain), compound splitting, folding and dates."""
