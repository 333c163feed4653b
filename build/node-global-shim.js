// Injected by esbuild (gulpfile.js) in place of Node's `global` and `globalThis` objects. n8n's verification forbids
// references to either in shipped code. Bundled jsonata reaches `global` only for `global.Buffer` ($base64encode /
// $base64decode) and in a UMD fallback that never runs under CommonJS; bundled RE2JS (the linear-time regex engine)
// reaches `globalThis` only for TextEncoder / TextDecoder. So each gets an object with just what it uses.
export const global = { Buffer };
const textCodecs = { TextEncoder, TextDecoder };
export { textCodecs as globalThis };
