import { mkdirSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';

export type JanusSettings = {
	/** Folder the config is generated into (under DATA_DIR). */
	dir: string;
	/** WebSocket API port on 127.0.0.1 (the app's /sfu proxy is the only way in). */
	wsPort: number;
	rtpPortRange: string;
	adminKey: string;
	tokenAuthSecret: string;
	/** Network interface whose address Janus offers for media (loopback is ignored by Janus). */
	iface: string;
	/** Public IP for 1:1 NAT (e.g. a cloud VM), when different from the interface's. */
	natPublicIp?: string;
	pluginsFolder: string;
	transportsFolder: string;
};

/** The first non-internal IPv4 interface: Janus needs a real one in ice_enforce_list. */
export function defaultInterface(): string {
	for (const [name, addresses] of Object.entries(networkInterfaces())) {
		if (addresses?.some((a) => a.family === 'IPv4' && !a.internal)) return name;
	}
	return 'lo';
}

const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * Writes Janus' configuration: only the videoroom plugin and the WebSocket transport, bound to
 * 127.0.0.1, signed-token auth for sessions and an admin key for creating rooms.
 */
export function writeJanusConfig(s: JanusSettings): void {
	mkdirSync(s.dir, { recursive: true, mode: 0o700 });
	const core = `general: {
	configs_folder = ${quote(s.dir)}
	plugins_folder = ${quote(s.pluginsFolder)}
	transports_folder = ${quote(s.transportsFolder)}
	log_to_stdout = true
	debug_level = 3
	token_auth = true
	token_auth_secret = ${quote(s.tokenAuthSecret)}
	server_name = "parley-sfu"
	session_timeout = 60
}
media: {
	rtp_port_range = ${quote(s.rtpPortRange)}
}
nat: {
	ice_enforce_list = ${quote(s.iface)}
	ignore_mdns = true
	${s.natPublicIp ? `nat_1_1_mapping = ${quote(s.natPublicIp)}` : ''}
}
plugins: {
	disable = "libjanus_audiobridge.so,libjanus_duktape.so,libjanus_echotest.so,libjanus_lua.so,libjanus_nosip.so,libjanus_recordplay.so,libjanus_sip.so,libjanus_streaming.so,libjanus_textroom.so,libjanus_videocall.so,libjanus_voicemail.so"
}
transports: {
	disable = "libjanus_http.so,libjanus_mqtt.so,libjanus_nanomsg.so,libjanus_pfunix.so,libjanus_rabbitmq.so"
}
events: {
	broadcast = false
}
`;
	const websockets = `general: {
	json = "compact"
	ws = true
	ws_port = ${s.wsPort}
	ws_ip = "127.0.0.1"
	wss = false
}
admin: {
	admin_ws = false
	admin_wss = false
}
`;
	const videoroom = `general: {
	admin_key = ${quote(s.adminKey)}
	lock_rtp_forward = true
}
`;
	writeFileSync(join(s.dir, 'janus.jcfg'), core, { mode: 0o600 });
	writeFileSync(join(s.dir, 'janus.transport.websockets.jcfg'), websockets, { mode: 0o600 });
	writeFileSync(join(s.dir, 'janus.plugin.videoroom.jcfg'), videoroom, { mode: 0o600 });
}
