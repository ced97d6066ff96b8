"""The read-only JSON API under /api/v1/ (Django REST framework, drf-spectacular schema)."""
