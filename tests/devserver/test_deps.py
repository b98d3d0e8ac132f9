"""The dependency map: every output knows exactly which files it was made from."""

from __future__ import annotations

from conftest import WORKER_MD, make_image

from exhibit.assets.stage import AssetOptions, AssetStage
from exhibit.devserver.rebuild.deps import DependencyMap, InputCollector, TemplateScanner, page_dependencies
from exhibit.diagnostics import Diagnostics
from exhibit.pipeline import load_site, plan_site, render_site
from exhibit.project import Project
from exhibit.render.templates import make_environment

FILES = {
    "content/workers/邵志村.md": WORKER_MD.replace("since: 2008", "since: 2008\nphoto: shao.jpg"),
    "content/workers/li.md": "---\nname: 李静\nunit: acid\n---\n见[邵志村](邵志村.md)。\n",
    "content/teams/commando.md": "---\nname: 突击队\nunit: smelting-1\nleader: 邵志村\n---\n",
    "content/honors.yaml": "- title: 优秀党员\n  date: 2021\n  recipient: shao-zhi-cun\n",
}


def _dependencies(make_site) -> tuple[dict[str, frozenset[str]], object]:
    root = make_site(FILES)
    make_image(root / "content/workers/shao.jpg")
    project = Project(root, root / "site")
    diagnostics = Diagnostics()
    config, model, screens = load_site(project, diagnostics, None)
    assets = AssetStage(root, project.content_dir, project.assets_dir, config, diagnostics,
                        AssetOptions(subset_font=False))
    assets.prepare(model, screens)
    plan = plan_site(model, screens, project.assets_dir, diagnostics, project.templates_dir)
    rendered = {page.path: page for page in render_site(project, model, plan, diagnostics,
                                                         assets.template_helpers(), screens)}
    assert not diagnostics.has_errors()
    env, _ = make_environment(project.templates_dir, model, screens=screens)
    collector = InputCollector(model, root)
    scanner = TemplateScanner(env, project.templates_dir)
    deps = {page.path: page_dependencies(collector, scanner, page, rendered[page.path].templates)
            for page in plan.pages}
    return deps, rendered


def test_every_render_records_all_its_templates_even_from_the_cache(make_site):
    _, rendered = _dependencies(make_site)
    first, second = rendered["workers/li.html"].templates, rendered["workers/shao-zhi-cun.html"].templates
    assert first == second
    assert {"workers/item.html", "partials/item_page.html", "base.html", "partials/cards.html",
            "partials/media.html", "partials/breadcrumb.html"} <= first


def test_pages_depend_on_what_they_show(make_site):
    deps, _ = _dependencies(make_site)
    worker = deps["workers/shao-zhi-cun.html"]
    assert {"content/workers/邵志村.md", "content/workers/shao.jpg", "content/site.yaml",
            "templates/base.html", "templates/partials/cards.html"} <= worker
    assert "content/workers/li.md" in worker  # its neighbour in the pager
    assert "content/workers/邵志村.md" in deps["workers/li.html"]  # li's story links to him
    team = deps["teams/commando.html"]
    assert {"content/workers/邵志村.md", "content/workers/shao.jpg"} <= team  # the leader's card
    honor = next(path for path in deps if path.startswith("honors/") and path != "honors/index.html")
    assert "content/workers/邵志村.md" in deps[honor]
    assert {"content/workers/邵志村.md", "content/honors.yaml"} <= deps["units/smelting-1.html"]
    assert "content/workers/li.md" not in deps["units/smelting-1.html"]
    assert "@collection:workers" in deps["index.html"]
    assert "content/teams/commando.md" not in deps["workers/shao-zhi-cun.html"]


def test_affected_answers_which_outputs_a_change_touches(make_site):
    deps, _ = _dependencies(make_site)
    dependency_map = DependencyMap()
    for path, inputs in deps.items():
        dependency_map.add(path, inputs)
    touched = dependency_map.affected({"content/teams/commando.md"})
    assert touched == {"teams/commando.html", "teams/index.html", "units/smelting-1.html", "units/smelting.html",
                       "units/plant.html"}
    assert dependency_map.affected({"templates/teams/item.html"}) == {"teams/commando.html"}
    assert len(dependency_map.affected({"content/site.yaml"})) == len(deps)
