"""MkDocs hooks (listed under `hooks:` in mkdocs.yml; Zensical ignores them): see csvf_build/enginehook.py."""

from csvf_build.enginehook import on_config, on_env, on_files, on_nav, on_page_context, on_post_build, on_post_page

__all__ = ["on_config", "on_env", "on_files", "on_nav", "on_page_context", "on_post_build", "on_post_page"]
