"""The demo plus-plek and generated sales histories, loaded from seed/'s data files."""
