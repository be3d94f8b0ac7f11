"""The API's routers, one per page or concern; each route calls one workspace function."""
