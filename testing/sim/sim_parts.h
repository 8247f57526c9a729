/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * STM32 part models: one table row per family layout (IDs, memory sizes,
 * option register, boot configuration), plus the behaviour of read-out
 * protection as on silicon: level 1 makes debugger reads of flash fault,
 * level 2 turns the debug port off. Selected by the scenario's
 * target.model; the generic model of sim_target.c stays the default.
 */
#ifndef SIM_PARTS_H
#define SIM_PARTS_H

#include <stdbool.h>
#include <stdint.h>

#include "sim_target.h"

/* Fill cfg with the model's values (the scenario's other keys override them).
 * -1 when the model is unknown. */
int sim_parts_defaults(struct sim_target_config *cfg, const char *model);
/* comma-separated model names, for error messages */
const char *sim_parts_names(void);

/* After the generic init: empty flash, RDP level 2 (debug port off). */
void sim_parts_init(struct sim_target *t);

/* A read the part model answers itself (option registers, F_SIZE, UID,
 * protected flash, the boot alias). false: not the model's business. */
bool sim_parts_mem_read(struct sim_target *t, uint32_t addr, unsigned int size, uint32_t *val, enum sim_ack *ack);

#endif /* SIM_PARTS_H */
