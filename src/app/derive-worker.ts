/** The worker-thread side of the derive pool: one derive() per task (plain data in, plain data out). */
import { derive, type DeriveInput } from '../monitor/observe/derive.js';

export default function run(input: DeriveInput) {
  return derive(input);
}
