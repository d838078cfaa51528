"""The accountability report: its web page, its files, and how it is worded."""
