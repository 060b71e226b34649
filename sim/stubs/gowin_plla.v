// Lint and simulation stand-in for the Gowin PLLA primitive (GW5A-25).
// This is NOT a model of the PLL: every clock output simply follows CLKIN (no multiplication, division or
// phase), and LOCK rises after a few CLKIN cycles. It exists so Verilator and Icarus can elaborate tops that instantiate
// PLLA. Port and parameter names and defaults follow the PLLA blackbox in Yosys techlibs/gowin/cells_xtra_gw5a.v.

/* verilator lint_off DECLFILENAME */ // the file is named after the vendor block, the module after the primitive
`default_nettype none

// The stand-in ignores every parameter; they are declared so instances elaborate with their real overrides.
/* verilator lint_off UNUSEDPARAM */
module PLLA #(
    parameter FCLKIN = "100.0",        // CLKIN frequency in MHz, as a string
    parameter IDIV_SEL = 1,            // PFD = CLKIN / IDIV_SEL (1..64)
    parameter FBDIV_SEL = 1,           // feedback divider (1..64)
    parameter MDIV_SEL = 8,            // VCO = PFD x FBDIV_SEL x MDIV_SEL (2..128)
    parameter MDIV_FRAC_SEL = 0,
    parameter ODIV0_SEL = 8,           // CLKOUT0 = VCO / ODIV0_SEL (1..128)
    parameter ODIV0_FRAC_SEL = 0,
    parameter ODIV1_SEL = 8,
    parameter ODIV2_SEL = 8,
    parameter ODIV3_SEL = 8,
    parameter ODIV4_SEL = 8,
    parameter ODIV5_SEL = 8,
    parameter ODIV6_SEL = 8,
    parameter CLKOUT0_EN = "TRUE",
    parameter CLKOUT1_EN = "FALSE",
    parameter CLKOUT2_EN = "FALSE",
    parameter CLKOUT3_EN = "FALSE",
    parameter CLKOUT4_EN = "FALSE",
    parameter CLKOUT5_EN = "FALSE",
    parameter CLKOUT6_EN = "FALSE",
    parameter CLKFB_SEL = "INTERNAL",
    parameter CLKOUT0_DT_DIR = 1'b1,
    parameter CLKOUT1_DT_DIR = 1'b1,
    parameter CLKOUT2_DT_DIR = 1'b1,
    parameter CLKOUT3_DT_DIR = 1'b1,
    parameter CLKOUT0_DT_STEP = 0,
    parameter CLKOUT1_DT_STEP = 0,
    parameter CLKOUT2_DT_STEP = 0,
    parameter CLKOUT3_DT_STEP = 0,
    parameter CLK0_IN_SEL = 1'b0,
    parameter CLK0_OUT_SEL = 1'b0,
    parameter CLK1_IN_SEL = 1'b0,
    parameter CLK1_OUT_SEL = 1'b0,
    parameter CLK2_IN_SEL = 1'b0,
    parameter CLK2_OUT_SEL = 1'b0,
    parameter CLK3_IN_SEL = 1'b0,
    parameter CLK3_OUT_SEL = 1'b0,
    parameter CLK4_IN_SEL = 2'b00,
    parameter CLK4_OUT_SEL = 1'b0,
    parameter CLK5_IN_SEL = 1'b0,
    parameter CLK5_OUT_SEL = 1'b0,
    parameter CLK6_IN_SEL = 1'b0,
    parameter CLK6_OUT_SEL = 1'b0,
    parameter DYN_DPA_EN = "FALSE",
    parameter CLKOUT0_PE_COARSE = 0,
    parameter CLKOUT0_PE_FINE = 0,
    parameter CLKOUT1_PE_COARSE = 0,
    parameter CLKOUT1_PE_FINE = 0,
    parameter CLKOUT2_PE_COARSE = 0,
    parameter CLKOUT2_PE_FINE = 0,
    parameter CLKOUT3_PE_COARSE = 0,
    parameter CLKOUT3_PE_FINE = 0,
    parameter CLKOUT4_PE_COARSE = 0,
    parameter CLKOUT4_PE_FINE = 0,
    parameter CLKOUT5_PE_COARSE = 0,
    parameter CLKOUT5_PE_FINE = 0,
    parameter CLKOUT6_PE_COARSE = 0,
    parameter CLKOUT6_PE_FINE = 0,
    parameter DYN_PE0_SEL = "FALSE",
    parameter DYN_PE1_SEL = "FALSE",
    parameter DYN_PE2_SEL = "FALSE",
    parameter DYN_PE3_SEL = "FALSE",
    parameter DYN_PE4_SEL = "FALSE",
    parameter DYN_PE5_SEL = "FALSE",
    parameter DYN_PE6_SEL = "FALSE",
    parameter DE0_EN = "FALSE",
    parameter DE1_EN = "FALSE",
    parameter DE2_EN = "FALSE",
    parameter DE3_EN = "FALSE",
    parameter DE4_EN = "FALSE",
    parameter DE5_EN = "FALSE",
    parameter DE6_EN = "FALSE",
    parameter RESET_I_EN = "FALSE",
    parameter RESET_O_EN = "FALSE",
    parameter ICP_SEL = 6'd0,          // charge pump: the packer computes it
    parameter LPF_RES = 3'd0,          // loop filter: the packer computes it
    parameter LPF_CAP = 2'b00,
    parameter SSC_EN = "FALSE"
) (
    input  wire       CLKIN,
    input  wire       CLKFB,
    input  wire       RESET,
    input  wire       PLLPWD,
    input  wire       RESET_I,
    input  wire       RESET_O,
    input  wire [2:0] PSSEL,
    input  wire       PSDIR,
    input  wire       PSPULSE,
    input  wire       SSCPOL,
    input  wire       SSCON,
    input  wire [6:0] SSCMDSEL,
    input  wire [2:0] SSCMDSEL_FRAC,
    input  wire       MDCLK,
    input  wire [1:0] MDOPC,
    input  wire       MDAINC,
    input  wire [7:0] MDWDI,
    output wire [7:0] MDRDO,
    output wire       LOCK,
    output wire       CLKOUT0,
    output wire       CLKOUT1,
    output wire       CLKOUT2,
    output wire       CLKOUT3,
    output wire       CLKOUT4,
    output wire       CLKOUT5,
    output wire       CLKOUT6,
    output wire       CLKFBOUT
);
    /* verilator lint_on UNUSEDPARAM */
    assign CLKOUT0  = CLKIN;
    assign CLKOUT1  = CLKIN;
    assign CLKOUT2  = CLKIN;
    assign CLKOUT3  = CLKIN;
    assign CLKOUT4  = CLKIN;
    assign CLKOUT5  = CLKIN;
    assign CLKOUT6  = CLKIN;
    assign CLKFBOUT = CLKIN;
    assign MDRDO    = 8'd0;

    // LOCK: high after 7 CLKIN edges out of reset (RESET resets the PLL, PLLPWD powers it down).
    reg [2:0] lock_count = 3'd0;
    always @(posedge CLKIN) begin
        if (RESET || PLLPWD) lock_count <= 3'd0;
        else if (lock_count != 3'd7) lock_count <= lock_count + 3'd1;
    end
    assign LOCK = (lock_count == 3'd7);

    // Feedback, dynamic phase, spread-spectrum and configuration-port inputs have no effect in this stand-in.
    wire unused = &{1'b0, CLKFB, RESET_I, RESET_O, PSSEL, PSDIR, PSPULSE, SSCPOL, SSCON, SSCMDSEL, SSCMDSEL_FRAC,
                    MDCLK, MDOPC, MDAINC, MDWDI};
endmodule

`default_nettype wire
