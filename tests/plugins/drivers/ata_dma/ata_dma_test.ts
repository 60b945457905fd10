import { defineAtaCases } from "../ata_common/ata_cases.ts";

defineAtaCases("dma");
