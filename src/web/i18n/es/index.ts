// Spanish strings (neutral Spanish), one file per page group with the keys of its English file.
import type { MessageKey } from "../en";
import { common } from "./common";
import { errors } from "./errors";
import { signIn } from "./sign-in";
import { dashboard } from "./dashboard";
import { activity } from "./activity";
import { profile } from "./profile";
import { security } from "./security";
import { orgs } from "./orgs";
import { admin } from "./admin";

export const es: Record<MessageKey, string> = { ...common, ...errors, ...signIn, ...dashboard, ...activity, ...profile, ...security, ...orgs, ...admin };
