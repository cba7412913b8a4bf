"""The demo plus-plek and the Belgian rules as data files; the loader lives in kiosk.seeding."""
