// Models of the cells a placed Gowin netlist holds in a form Yosys's library does not know: nextpnr-himbaechel's routed
// netlist (and the unpacked bitstream, whose ALU layer is rebuilt from it: unpacked-gowin.ts) keeps the ALU slice's C
// input (I2), gives the slice's LUT with the constants folded in (RAW_ALU_LUT), adds the carry-chain ends (ALU_MODE
// "C2L": a head starting the carry at 0, or a tail handing the carry to logic on SUM; "ONE2C": a head starting it at 1;
// a head taking the carry from logic has no mode, CIN_NETTYPE LOGIC, and its LUT alone decides), and its own constant
// drivers. Written for atomik-gen; the numbered modes compute what Yosys's ALU model computes. How the raw LUT splits
// into propagate and generate was read off nextpnr's output (an incrementer's slice holds 0xC0C0 with the count on I1:
// P = I1, G = 0) and is confirmed by the board-top checks passing on it.

/** Module names these models define, to take out of Yosys's library. */
export const GOWIN_PLACED_MODULES = ['ALU'] as const;

export const GOWIN_PLACED_MODELS = `// Placed Gowin cells (atomik-gen, verify/netlist/placed-models.ts).
module GOWIN_GND (output G);
    assign G = 1'b0;
endmodule

module GOWIN_VCC (output V);
    assign V = 1'b1;
endmodule

// One ALU slice: SUM = P ^ CIN and COUT = P ? CIN : G. After packing, nextpnr gives the slice's LUT as RAW_ALU_LUT
// (inputs I0..I3 = A..D, constants folded in, a constant input left unconnected and read as 0): P is its half with the
// C input high (the packer ties C high) and G its half with C low. Without it, P and G follow ALU_MODE (the mode's
// function of I0, I1, I3, as Yosys's model computes it).
module ALU (output SUM, output COUT, input I0, input I1, input I2, input I3, input CIN);
    parameter ALU_MODE = 0;
    parameter [32:0] RAW_ALU_LUT = 33'h100000000;   // bit 32 set: not given
    wire [15:0] raw = RAW_ALU_LUT[15:0];
    wire raw_p = raw[{I3, 1'b1, I1, I0}];
    wire raw_g = raw[{I3, 1'b0, I1, I0}];
    reg mode_p, mode_g;
    always @* begin
        mode_p = 1'b0;
        mode_g = 1'b0;
        if (ALU_MODE == 0)      begin mode_p = I0 ^ I1;                 mode_g = I0;      end   // ADD
        else if (ALU_MODE == 1) begin mode_p = I0 ^ ~I1;                mode_g = I0;      end   // SUB
        else if (ALU_MODE == 2) begin mode_p = I3 ? I0 ^ I1 : I0 ^ ~I1; mode_g = I0;      end   // ADDSUB (I3: add)
        else if (ALU_MODE == 3) begin mode_p = I0 ^ ~I1;                mode_g = 1'b1;    end   // NE
        else if (ALU_MODE == 4) begin mode_p = I0 ^ ~I1;                mode_g = I0;      end   // GE
        else if (ALU_MODE == 5) begin mode_p = ~I0 ^ I1;                mode_g = I1;      end   // LE
        else if (ALU_MODE == 6) begin mode_p = I0;                      mode_g = 1'b0;    end   // CUP
        else if (ALU_MODE == 7) begin mode_p = ~I0;                     mode_g = 1'b1;    end   // CDN
        else if (ALU_MODE == 8) begin mode_p = I3 ? I0 : ~I0;           mode_g = I0;      end   // CUPCDN (I3: up)
        else if (ALU_MODE == 9) begin mode_p = (I0 & I1) ^ I3;          mode_g = I0 & I1; end   // MULT
    end
    wire given = !RAW_ALU_LUT[32];
    wire p = given ? raw_p : mode_p;
    wire g = given ? raw_g : mode_g;
    wire c2l = (ALU_MODE == "C2L");
    wire one2c = (ALU_MODE == "ONE2C");
    assign SUM = c2l ? CIN : one2c ? 1'b0 : p ^ CIN;
    assign COUT = c2l ? 1'b0 : one2c ? 1'b1 : (p ? CIN : g);
    wire unused = I2;
endmodule
`;
