"""The product's modules import each other without cycles, imports inside
functions included (the layering itself is import-linter's, in `make lint`)."""

from __future__ import annotations

import grimp

PRODUCT = ("config", "kiosk", "loyalty", "hardware", "kitchen")


def _import_cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, children = work[-1]
            child = next((c for c in children if c in modules), None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    imported = graph.find_modules_directly_imported_by(child)
                    work.append((child, iter(sorted(imported))))
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1:
                    cycles.append(sorted(group))
    return cycles


def test_no_product_module_imports_itself_back():
    graph = grimp.build_graph(*PRODUCT, cache_dir=None)
    modules = {m for m in graph.modules if ".migrations" not in m}

    assert _import_cycles(graph, modules) == []


def test_the_cycle_finder_names_the_modules_of_a_cycle():
    graph = grimp.ImportGraph()
    for module in ("app", "app.orders", "app.payments", "app.views"):
        graph.add_module(module)
    graph.add_import(importer="app.orders", imported="app.payments")
    graph.add_import(importer="app.payments", imported="app.orders")
    graph.add_import(importer="app.views", imported="app.orders")

    assert _import_cycles(graph, set(graph.modules)) == [["app.orders", "app.payments"]]


def test_an_import_inside_a_function_counts(tmp_path, monkeypatch):
    package = tmp_path / "cyclic"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "orders.py").write_text("from cyclic import payments\n")
    (package / "payments.py").write_text(
        "def pay():\n    from cyclic.orders import x\n    return x\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))

    graph = grimp.build_graph("cyclic", cache_dir=None)

    assert _import_cycles(graph, set(graph.modules)) == [
        ["cyclic.orders", "cyclic.payments"]
    ]
