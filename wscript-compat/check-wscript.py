#!/usr/bin/env python3
"""Runs wscript-compat/wscript's build() against a stand-in for waf's build
context and checks that every file it would hand to waf exists. This is not a
waf build (none is available here); it only proves that the wscript still
reads the module description out of CMakeLists.txt correctly.

Usage: check-wscript.py [<repo root>]     (exit status 0 = ok)
"""
import os
import sys
import types
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader

root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                       os.path.join(os.path.dirname(__file__), '..'))
path = os.path.join(root, 'wscript-compat', 'wscript')
spec = spec_from_loader('wscript', SourceFileLoader('wscript', path))
wscript = module_from_spec(spec)
spec.loader.exec_module(wscript)


class FakeBld:
    """What the wscript uses of waf's build context in ns-3's waf era."""

    def __init__(self):
        self.path = types.SimpleNamespace(abspath=lambda: root)
        self.env = types.SimpleNamespace(ENABLE_EXAMPLES=True)
        self.made = []

    def _make(self, kind, **kw):
        tg = types.SimpleNamespace(kind=kind, source=[], **kw)
        self.made.append(tg)
        return tg

    def create_ns3_module(self, name, deps):
        return self._make('module', name=name, deps=deps)

    def create_ns3_module_test_library(self, name):
        return self._make('test library', name=name)

    def create_ns3_program(self, name, deps):
        return self._make('program', name=name, deps=deps)

    def __call__(self, **kw):
        return self._make('headers', **kw)


bld = FakeBld()
wscript.build(bld)
errors = []
kinds = [tg.kind for tg in bld.made]
for kind in ('module', 'test library', 'headers'):
    if kind not in kinds:
        errors.append('no %s declared' % kind)
for tg in bld.made:
    sources = [tg.source] if isinstance(tg.source, str) else tg.source
    if not sources:
        errors.append('%s %s has no sources' % (tg.kind, getattr(tg, 'name', '')))
    for s in sources:
        if not os.path.isfile(os.path.join(root, s)):
            errors.append('%s %s: %s does not exist' % (tg.kind, getattr(tg, 'name', ''), s))
    print('%-12s %-20s %3d files  deps: %s' % (tg.kind, getattr(tg, 'name', getattr(tg, 'module', '')),
                                               len(sources), ' '.join(getattr(tg, 'deps', []))))
if errors:
    print('\n'.join(['ERROR: ' + e for e in errors]))
    sys.exit(1)
print('wscript-compat: ok')
