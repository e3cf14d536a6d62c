"""Reports rendered to PDF by Celery: runs, the four reports, schedule, storage."""
