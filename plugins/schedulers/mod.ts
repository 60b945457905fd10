/**
 * Scheduler plugins.
 *
 * @module
 */

export { module as roundRobinModule, RoundRobinPolicy } from "./round_robin.ts";
