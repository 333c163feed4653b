// Injected by esbuild (gulpfile.js) in place of Node's `global` object. Bundled jsonata reaches `global` only for
// `global.Buffer` ($base64encode / $base64decode) and in a UMD fallback that never runs under CommonJS. n8n's
// verification forbids references to `global` in shipped code, so the bundle gets this object with just Buffer.
export const global = { Buffer };
