import { newRandomSecret, secretHash, secretHint } from "@/server/shared/random-secret";

// An application's client secret: shown once, stored as its SHA-256
// (server/shared/random-secret.ts).

export const CLIENT_SECRET_PREFIX = "tnr_cs_";

export const newClientSecret = (): string => newRandomSecret(CLIENT_SECRET_PREFIX);

/** Hex SHA-256 of the secret, as stored in application_client_secrets.secret_hash. */
export const hashClientSecret = secretHash;

/** The last four characters, stored as the secret's hint. */
export const clientSecretHint = secretHint;
