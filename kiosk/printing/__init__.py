"""Printing: printers, the persistent print queue, and the worker that prints and retries."""
