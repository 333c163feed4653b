/**
 * A minimal SMTP server on loopback that accepts every message and keeps it, so the e2e suite can check the
 * run report the templates e-mail (n8n's Send Email node speaks real SMTP to it). No TLS, no auth.
 */
import { createServer, Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
	from: string;
	to: string[];
	/** Raw message (headers + body) as sent, dot-unstuffed. */
	raw: string;
	subject: string;
	/** The text body, quoted-printable decoded when so encoded. */
	text: string;
}

export interface SmtpSink {
	host: string;
	port: number;
	messages: ReceivedMail[];
	close(): Promise<void>;
}

function decodeQuotedPrintable(text: string): string {
	const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
	return Buffer.from(bytes, 'latin1').toString('utf8');
}

function decodeHeader(value: string): string {
	return value.replace(/=\?utf-8\?([BQ])\?([^?]*)\?=/gi, (_m, encoding: string, data: string) =>
		encoding.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')),
	);
}

export function parseMail(raw: string): { subject: string; text: string } {
	const split = raw.search(/\r?\n\r?\n/);
	const headerText = split < 0 ? raw : raw.slice(0, split);
	let body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
	const headers = headerText.replace(/\r?\n[ \t]+/g, ' ');
	const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(headers)?.[1]?.trim() ?? '';
	const contentType = header('Content-Type');
	const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
	let encoding = header('Content-Transfer-Encoding').toLowerCase();
	if (boundary) {
		const parts = body.split(`--${boundary}`);
		const textPart = parts.find((part) => /content-type:\s*text\/plain/i.test(part)) ?? parts[1] ?? '';
		const partSplit = textPart.search(/\r?\n\r?\n/);
		encoding = /content-transfer-encoding:\s*(\S+)/i.exec(textPart.slice(0, partSplit))?.[1]?.toLowerCase() ?? '';
		body = textPart.slice(partSplit).replace(/^\r?\n\r?\n/, '');
	}
	let text = body;
	if (encoding === 'quoted-printable') text = decodeQuotedPrintable(body);
	else if (encoding === 'base64') text = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
	return { subject: decodeHeader(header('Subject')), text: text.replace(/\r\n/g, '\n') };
}

export async function startSmtpSink(port = 0): Promise<SmtpSink> {
	const messages: ReceivedMail[] = [];
	const sockets = new Set<Socket>();
	const server: Server = createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.setEncoding('utf8');
		let buffer = '';
		let inData = false;
		let data: string[] = [];
		let from = '';
		let to: string[] = [];
		const reply = (line: string) => socket.write(`${line}\r\n`);
		reply('220 plek-e2e SMTP sink');
		socket.on('data', (chunk: string) => {
			buffer += chunk;
			let index: number;
			while ((index = buffer.indexOf('\r\n')) >= 0) {
				const line = buffer.slice(0, index);
				buffer = buffer.slice(index + 2);
				if (inData) {
					if (line === '.') {
						inData = false;
						const raw = data.join('\r\n');
						messages.push({ from, to, raw, ...parseMail(raw) });
						data = [];
						reply('250 OK: queued');
					} else {
						data.push(line.startsWith('..') ? line.slice(1) : line);
					}
					continue;
				}
				const command = line.slice(0, 4).toUpperCase();
				if (command === 'EHLO') {
					reply('250-plek-e2e');
					reply('250-8BITMIME');
					reply('250 SMTPUTF8');
				} else if (command === 'HELO') reply('250 plek-e2e');
				else if (command === 'MAIL') {
					from = /<([^>]*)>/.exec(line)?.[1] ?? '';
					to = [];
					reply('250 OK');
				} else if (command === 'RCPT') {
					to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
					reply('250 OK');
				} else if (command === 'DATA') {
					inData = true;
					reply('354 End data with <CR><LF>.<CR><LF>');
				} else if (command === 'RSET') reply('250 OK');
				else if (command === 'NOOP') reply('250 OK');
				else if (command === 'QUIT') {
					reply('221 Bye');
					socket.end();
				} else reply('502 Command not implemented');
			}
		});
		socket.on('error', () => undefined);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve());
	});
	return {
		host: '127.0.0.1',
		port: (server.address() as AddressInfo).port,
		messages,
		close: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}
