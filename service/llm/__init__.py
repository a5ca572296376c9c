"""Chat models, chosen by settings (`OVERTURN_LLM`, fallbacks, base URL), behind LangChain."""
