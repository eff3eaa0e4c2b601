"""Reference data: China's county-level administrative divisions."""
