"""briefgen: turn information items (信息稿件) into a periodic bulletin (简报)."""

__version__ = "0.1.0"
