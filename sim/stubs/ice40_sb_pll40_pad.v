// Lint and simulation stand-in for the Lattice iCE40 SB_PLL40_PAD primitive.
// This is NOT a model of the PLL: both clock outputs simply follow the pad input (no multiplication, division or
// phase), and LOCK rises after a few input cycles. It exists so Verilator and Icarus can elaborate tops that instantiate
// SB_PLL40_PAD. Port and parameter names and defaults follow SB_PLL40_PAD in Yosys techlibs/ice40/cells_sim.v.

/* verilator lint_off DECLFILENAME */ // the file is named after the vendor block, the module after the primitive
`default_nettype none

// The stand-in ignores every parameter; they are declared so instances elaborate with their real overrides.
/* verilator lint_off UNUSEDPARAM */
module SB_PLL40_PAD #(
    parameter FEEDBACK_PATH = "SIMPLE",
    parameter DELAY_ADJUSTMENT_MODE_FEEDBACK = "FIXED",
    parameter DELAY_ADJUSTMENT_MODE_RELATIVE = "FIXED",
    parameter SHIFTREG_DIV_MODE = 1'b0,
    parameter FDA_FEEDBACK = 4'b0000,
    parameter FDA_RELATIVE = 4'b0000,
    parameter PLLOUT_SELECT = "GENCLK",
    parameter DIVR = 4'b0000,          // reference divider - 1
    parameter DIVF = 7'b0000000,       // feedback divider - 1
    parameter DIVQ = 3'b000,           // VCO / 2^DIVQ
    parameter FILTER_RANGE = 3'b000,
    parameter ENABLE_ICEGATE = 1'b0,
    parameter TEST_MODE = 1'b0,
    parameter EXTERNAL_DIVIDE_FACTOR = 1
) (
    input  wire       PACKAGEPIN,
    output wire       PLLOUTCORE,
    output wire       PLLOUTGLOBAL,
    input  wire       EXTFEEDBACK,
    input  wire [7:0] DYNAMICDELAY,
    output wire       LOCK,
    input  wire       BYPASS,
    input  wire       RESETB,
    input  wire       LATCHINPUTVALUE,
    output wire       SDO,
    input  wire       SDI,
    input  wire       SCLK
);
    /* verilator lint_on UNUSEDPARAM */
    assign PLLOUTCORE   = PACKAGEPIN;
    assign PLLOUTGLOBAL = PACKAGEPIN;
    assign SDO          = 1'b0;

    // LOCK: high after 7 input edges out of reset (RESETB low holds the PLL in reset).
    reg [2:0] lock_count = 3'd0;
    always @(posedge PACKAGEPIN) begin
        if (!RESETB) lock_count <= 3'd0;
        else if (lock_count != 3'd7) lock_count <= lock_count + 3'd1;
    end
    assign LOCK = (lock_count == 3'd7);

    // Feedback, bypass, dynamic delay and the configuration port have no effect in this stand-in.
    wire unused = &{1'b0, EXTFEEDBACK, DYNAMICDELAY, BYPASS, LATCHINPUTVALUE, SDI, SCLK};
endmodule

`default_nettype wire
