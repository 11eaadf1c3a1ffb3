import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Client } from "ldapts";
import { findFreePort } from "@/server/db/free-port";

// A real OpenLDAP server for tests and the bench: Debian's slapd, started from a
// temporary slapd.conf (mdb backend, core/cosine/inetorgperson/nis schemas) on a
// free loopback port, in the foreground so stopping it is killing one process.
// With `tls`, it also listens on ldaps:// with a certificate from a throw-away
// CA (openssl), and StartTLS works on the ldap:// port.

const SLAPD = "/usr/sbin/slapd";
const SLAPADD = "/usr/sbin/slapadd";
const SCHEMAS = ["core", "cosine", "inetorgperson", "nis"];

export type TSlapd = {
  /** ldap://127.0.0.1:<port> */
  url: string;
  /** ldaps://localhost:<port>, when started with `tls`. */
  secureUrl: string | null;
  /** The CA's PEM, when started with `tls`. */
  caCertificate: string | null;
  suffix: string;
  rootDn: string;
  rootPassword: string;
  /** A client bound as the root DN; the caller unbinds it. */
  rootClient: () => Promise<Client>;
  /** Adds entries (DN and attributes), as the root DN. */
  add: (entries: TLdapEntry[]) => Promise<void>;
  stop: () => Promise<void>;
};

export type TLdapEntry = { dn: string; attributes: Record<string, string | string[]> };

export type TSlapdOptions = {
  suffix?: string;
  tls?: boolean;
  /** LDIF loaded with slapadd before the server starts: the fast path for big fixtures. */
  ldif?: string;
};

export function slapdInstalled(): boolean {
  return existsSync(SLAPD);
}

function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const file = (name: string) => path.join(dir, name);
  const run = (...args: string[]) => execFileSync("openssl", args, { stdio: "ignore" });
  run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Tenure test CA", "-keyout", file("ca.key"), "-out", file("ca.pem"));
  run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", file("server.key"), "-out", file("server.csr"));
  execFileSync("sh", ["-c", `printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > '${file("san.ext")}'`]);
  run("x509", "-req", "-in", file("server.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", file("san.ext"), "-out", file("server.pem"));
  return { ca: file("ca.pem"), cert: file("server.pem"), key: file("server.key") };
}

function configuration(dir: string, suffix: string, rootDn: string, rootPassword: string, tls: { ca: string; cert: string; key: string } | null): string {
  return [
    ...SCHEMAS.map((schema) => `include /etc/ldap/schema/${schema}.schema`),
    `pidfile ${path.join(dir, "slapd.pid")}`,
    "modulepath /usr/lib/ldap",
    "moduleload back_mdb",
    "sizelimit unlimited",
    ...(tls ? [`TLSCACertificateFile ${tls.ca}`, `TLSCertificateFile ${tls.cert}`, `TLSCertificateKeyFile ${tls.key}`] : []),
    "database mdb",
    "maxsize 4294967296",
    `suffix "${suffix}"`,
    `rootdn "${rootDn}"`,
    `rootpw ${rootPassword}`,
    `directory ${path.join(dir, "data")}`,
    "index objectClass eq",
    "index entryUUID eq",
    "index uid eq",
    "index modifyTimestamp eq",
    "index entryCSN eq",
    // Members bind as themselves (sign-in by bind) and read nobody's password; a bound account reads the rest.
    "access to attrs=userPassword by self write by anonymous auth by * none",
    "access to * by users read by * none",
    "limits users size=unlimited time=unlimited",
    "",
  ].join("\n");
}

async function waitUntilUp(url: string, rootDn: string, rootPassword: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`slapd exited with ${child.exitCode}: ${log()}`);
    const client = new Client({ url, connectTimeout: 500, timeout: 1_000 });
    try {
      await client.bind(rootDn, rootPassword);
      await client.unbind();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`slapd did not answer on ${url}: ${String(error)} ${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export async function startSlapd(options: TSlapdOptions = {}): Promise<TSlapd> {
  if (!slapdInstalled()) throw new Error("slapd is not installed: apt-get install -y slapd ldap-utils (.ci/run does it)");
  const suffix = options.suffix ?? "dc=example,dc=org";
  const rootDn = `cn=admin,${suffix}`;
  const rootPassword = "root-secret-for-tests";
  const dir = await mkdtemp(path.join(os.tmpdir(), "tenure-slapd-"));
  await mkdir(path.join(dir, "data"));
  const tls = options.tls ? makeCertificates(dir) : null;
  const conf = path.join(dir, "slapd.conf");
  await writeFile(conf, configuration(dir, suffix, rootDn, rootPassword, tls));
  const top = suffix.split(",")[0]!.split("=")[1]!;
  const base = `dn: ${suffix}\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\no: ${top}\ndc: ${top}\n\n`;
  await writeFile(path.join(dir, "base.ldif"), base + (options.ldif ?? ""));
  execFileSync(SLAPADD, ["-q", "-f", conf, "-l", path.join(dir, "base.ldif")], { stdio: ["ignore", "ignore", "pipe"] });

  const port = await findFreePort();
  const securePort = tls ? await findFreePort() : null;
  const listeners = [`ldap://127.0.0.1:${port}/`, ...(securePort ? [`ldaps://127.0.0.1:${securePort}/`] : [])];
  const root = process.getuid?.() === 0 ? ["-u", "root", "-g", "root"] : [];
  let output = "";
  const child = spawn(SLAPD, ["-d", "0", "-f", conf, "-h", listeners.join(" "), ...root], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000)));
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000)));
  const url = `ldap://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilUp(url, rootDn, rootPassword, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  const rootClient = async () => {
    const client = new Client({ url, timeout: 30_000 });
    await client.bind(rootDn, rootPassword);
    return client;
  };
  return {
    url,
    secureUrl: securePort ? `ldaps://localhost:${securePort}` : null,
    caCertificate: tls ? readFileSync(tls.ca, "utf8") : null,
    suffix,
    rootDn,
    rootPassword,
    rootClient,
    add: async (entries) => {
      const client = await rootClient();
      try {
        for (const entry of entries) await client.add(entry.dn, entry.attributes);
      } finally {
        await client.unbind();
      }
    },
    stop,
  };
}

/** An inetOrgPerson under `ou=<ou>,<suffix>`, with the attributes the OpenLDAP preset maps. */
export function person(suffix: string, uid: string, fields: { ou?: string; givenName?: string; sn?: string; mail?: string; mobile?: string; title?: string; password?: string } = {}): TLdapEntry {
  const ou = fields.ou ?? "people";
  const givenName = fields.givenName ?? uid.charAt(0).toUpperCase() + uid.slice(1);
  const sn = fields.sn ?? "Tester";
  return {
    dn: `uid=${uid},ou=${ou},${suffix}`,
    attributes: {
      objectClass: ["top", "person", "organizationalPerson", "inetOrgPerson"],
      uid,
      cn: `${givenName} ${sn}`,
      givenName,
      sn,
      mail: fields.mail ?? `${uid}@example.org`,
      ...(fields.mobile ? { mobile: fields.mobile } : {}),
      ...(fields.title ? { title: fields.title } : {}),
      ...(fields.password ? { userPassword: fields.password } : {}),
    },
  };
}

export function organisationalUnit(suffix: string, ou: string): TLdapEntry {
  const names = ou.split(",").map((part) => part.trim());
  return { dn: `${names.map((name) => `ou=${name}`).join(",")},${suffix}`, attributes: { objectClass: ["top", "organizationalUnit"], ou: names[0]! } };
}
