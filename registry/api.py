from ninja import NinjaAPI

api = NinjaAPI(
    title="Digital Asset Licensing Portal: public registry API",
    version="1",
    urls_namespace="api-v1",
    docs_url=None,
)
