// English strings, one file per page group; {name} placeholders are filled by t().
// A new language copies src/web/i18n/es/: each of its files must have exactly the keys of
// the English file of the same name (checked by type).
import { common } from "./common";
import { errors } from "./errors";
import { signIn } from "./sign-in";
import { dashboard } from "./dashboard";
import { activity } from "./activity";
import { profile } from "./profile";
import { security } from "./security";
import { orgs } from "./orgs";
import { admin } from "./admin";

export const en = { ...common, ...errors, ...signIn, ...dashboard, ...activity, ...profile, ...security, ...orgs, ...admin };

export type MessageKey = keyof typeof en;
