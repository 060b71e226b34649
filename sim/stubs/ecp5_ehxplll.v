// Lint and simulation stand-in for the Lattice ECP5 EHXPLLL primitive.
// This is NOT a model of the PLL: every clock output simply follows CLKI (no multiplication, division or phase), and
// LOCK rises after a few CLKI cycles. It exists so Verilator and Icarus can elaborate tops that instantiate EHXPLLL.
// Port and parameter names and defaults follow the EHXPLLL blackbox in Yosys techlibs/lattice/cells_bb_ecp5.v.

/* verilator lint_off DECLFILENAME */ // the file is named after the vendor block, the module after the primitive
`default_nettype none

// The stand-in ignores every parameter; they are declared so instances elaborate with their real overrides.
/* verilator lint_off UNUSEDPARAM */
module EHXPLLL #(
    parameter integer CLKI_DIV = 1,       // PFD = CLKI / CLKI_DIV
    parameter integer CLKFB_DIV = 1,      // CLKOP = PFD x CLKFB_DIV when CLKOP is the feedback
    parameter integer CLKOP_DIV = 8,      // VCO = CLKOP x CLKOP_DIV
    parameter integer CLKOS_DIV = 8,
    parameter integer CLKOS2_DIV = 8,
    parameter integer CLKOS3_DIV = 8,
    parameter CLKOP_ENABLE = "ENABLED",
    parameter CLKOS_ENABLE = "DISABLED",
    parameter CLKOS2_ENABLE = "DISABLED",
    parameter CLKOS3_ENABLE = "DISABLED",
    parameter integer CLKOP_CPHASE = 0,
    parameter integer CLKOS_CPHASE = 0,
    parameter integer CLKOS2_CPHASE = 0,
    parameter integer CLKOS3_CPHASE = 0,
    parameter integer CLKOP_FPHASE = 0,
    parameter integer CLKOS_FPHASE = 0,
    parameter integer CLKOS2_FPHASE = 0,
    parameter integer CLKOS3_FPHASE = 0,
    parameter FEEDBK_PATH = "CLKOP",
    parameter CLKOP_TRIM_POL = "RISING",
    parameter integer CLKOP_TRIM_DELAY = 0,
    parameter CLKOS_TRIM_POL = "RISING",
    parameter integer CLKOS_TRIM_DELAY = 0,
    parameter OUTDIVIDER_MUXA = "DIVA",
    parameter OUTDIVIDER_MUXB = "DIVB",
    parameter OUTDIVIDER_MUXC = "DIVC",
    parameter OUTDIVIDER_MUXD = "DIVD",
    parameter integer PLL_LOCK_MODE = 0,
    parameter integer PLL_LOCK_DELAY = 200,
    parameter STDBY_ENABLE = "DISABLED",
    parameter REFIN_RESET = "DISABLED",
    parameter SYNC_ENABLE = "DISABLED",
    parameter INT_LOCK_STICKY = "ENABLED",
    parameter DPHASE_SOURCE = "DISABLED",
    parameter PLLRST_ENA = "DISABLED",
    parameter INTFB_WAKE = "DISABLED"
) (
    input  wire CLKI,
    input  wire CLKFB,
    input  wire PHASESEL1,
    input  wire PHASESEL0,
    input  wire PHASEDIR,
    input  wire PHASESTEP,
    input  wire PHASELOADREG,
    input  wire STDBY,
    input  wire PLLWAKESYNC,
    input  wire RST,
    input  wire ENCLKOP,
    input  wire ENCLKOS,
    input  wire ENCLKOS2,
    input  wire ENCLKOS3,
    output wire CLKOP,
    output wire CLKOS,
    output wire CLKOS2,
    output wire CLKOS3,
    output wire LOCK,
    output wire INTLOCK,
    output wire REFCLK,
    output wire CLKINTFB
);
    /* verilator lint_on UNUSEDPARAM */
    assign CLKOP    = CLKI;
    assign CLKOS    = CLKI;
    assign CLKOS2   = CLKI;
    assign CLKOS3   = CLKI;
    assign REFCLK   = CLKI;
    assign CLKINTFB = CLKI;

    // LOCK: high after 7 CLKI edges out of reset (RST resets the PLL, STDBY puts it in standby).
    reg [2:0] lock_count = 3'd0;
    always @(posedge CLKI) begin
        if (RST || STDBY) lock_count <= 3'd0;
        else if (lock_count != 3'd7) lock_count <= lock_count + 3'd1;
    end
    assign LOCK    = (lock_count == 3'd7);
    assign INTLOCK = LOCK;

    // Feedback, dynamic-phase and output-enable inputs have no effect in this stand-in.
    wire unused = &{1'b0, CLKFB, PHASESEL1, PHASESEL0, PHASEDIR, PHASESTEP, PHASELOADREG, PLLWAKESYNC,
                    ENCLKOP, ENCLKOS, ENCLKOS2, ENCLKOS3};
endmodule

`default_nettype wire
