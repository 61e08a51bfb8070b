"""Synthetic Vietnamese registry and vaccination records with ground truth."""
