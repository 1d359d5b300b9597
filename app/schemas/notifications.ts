import { z } from "zod";
import {
  groupInfo,
  notificationGroups,
  type DeliveryOption,
  type NotificationGroup,
} from "../domain/notifications/groups.ts";

const CHOOSE = "Bitte wähle eine der angebotenen Möglichkeiten.";

/** The settings form: one choice per group, only among the options that group offers. */
export const notificationSettingsSchema = z.object(
  Object.fromEntries(
    notificationGroups.map((g) => [
      g,
      z.enum(groupInfo[g].options as unknown as [DeliveryOption, ...DeliveryOption[]], { error: CHOOSE }),
    ]),
  ) as Record<NotificationGroup, z.ZodEnum<Record<DeliveryOption, DeliveryOption>>>,
);

/** The notifications page: mark all read, or one. */
export const notificationReadSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("all") }),
  z.object({ intent: z.literal("one"), id: z.coerce.number().int().positive() }),
]);
