// Lint and simulation stand-in for the Gowin PLLVR primitive (GW1NS / GW1NSR families: the rPLL with a regulator enable).
// This is NOT a model of the PLL: every clock output simply follows CLKIN (no multiplication, division or phase), and
// LOCK rises after a few CLKIN cycles. It exists so Verilator and Icarus can elaborate tops that instantiate PLLVR.
// Port and parameter names and defaults follow the PLLVR blackbox in Yosys techlibs/gowin/cells_sim.v.

/* verilator lint_off DECLFILENAME */ // the file is named after the vendor block, the module after the primitive
`default_nettype none

// The stand-in ignores every parameter; they are declared so instances elaborate with their real overrides.
/* verilator lint_off UNUSEDPARAM */
module PLLVR #(
    parameter FCLKIN = "100.0",        // CLKIN frequency in MHz, as a string
    parameter DYN_IDIV_SEL = "false",
    parameter IDIV_SEL = 0,            // input divider - 1 (0..63)
    parameter DYN_FBDIV_SEL = "false",
    parameter FBDIV_SEL = 0,           // feedback divider - 1 (0..63)
    parameter DYN_ODIV_SEL = "false",
    parameter ODIV_SEL = 8,            // 2, 4, 8, 16, 32, 48, 64, 80, 96, 112, 128
    parameter PSDA_SEL = "0000",
    parameter DYN_DA_EN = "false",
    parameter DUTYDA_SEL = "1000",
    parameter CLKOUT_FT_DIR = 1'b1,
    parameter CLKOUTP_FT_DIR = 1'b1,
    parameter CLKOUT_DLY_STEP = 0,
    parameter CLKOUTP_DLY_STEP = 0,
    parameter CLKFB_SEL = "internal",
    parameter CLKOUT_BYPASS = "false",
    parameter CLKOUTP_BYPASS = "false",
    parameter CLKOUTD_BYPASS = "false",
    parameter DYN_SDIV_SEL = 2,
    parameter CLKOUTD_SRC = "CLKOUT",
    parameter CLKOUTD3_SRC = "CLKOUT",
    parameter DEVICE = "GW1NS-4"        // "GW1NS-4", "GW1NS-4C", "GW1NSR-4", "GW1NSR-4C", "GW1NSER-4C"
) (
    output wire       CLKOUT,
    output wire       LOCK,
    output wire       CLKOUTP,
    output wire       CLKOUTD,
    output wire       CLKOUTD3,
    input  wire       RESET,
    input  wire       RESET_P,
    input  wire       CLKIN,
    input  wire       CLKFB,
    input  wire [5:0] FBDSEL,
    input  wire [5:0] IDSEL,
    input  wire [5:0] ODSEL,
    input  wire [3:0] PSDA,
    input  wire [3:0] DUTYDA,
    input  wire [3:0] FDLY,
    input  wire       VREN             // regulator enable: the PLL runs only with VREN high
);
    /* verilator lint_on UNUSEDPARAM */
    assign CLKOUT   = CLKIN;
    assign CLKOUTP  = CLKIN;
    assign CLKOUTD  = CLKIN;
    assign CLKOUTD3 = CLKIN;

    // LOCK: high after 7 CLKIN edges out of reset (RESET resets the PLL, RESET_P powers it down, VREN low switches
    // its regulator off).
    reg [2:0] lock_count = 3'd0;
    always @(posedge CLKIN) begin
        if (RESET || RESET_P || !VREN) lock_count <= 3'd0;
        else if (lock_count != 3'd7) lock_count <= lock_count + 3'd1;
    end
    assign LOCK = (lock_count == 3'd7);

    // Dynamic-control and feedback inputs have no effect in this stand-in.
    wire unused = &{1'b0, CLKFB, FBDSEL, IDSEL, ODSEL, PSDA, DUTYDA, FDLY};
endmodule

`default_nettype wire
