"""Running unattended: the nightly schedule and the raw-folder sensor, both targeting one job."""
