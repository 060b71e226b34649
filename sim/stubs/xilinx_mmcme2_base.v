// Lint and simulation stand-in for the Xilinx 7-series MMCME2_BASE primitive.
// This is NOT a model of the MMCM: every clock output simply follows CLKIN1 (the B outputs are its inverse), with no
// multiplication, division or phase, and LOCKED rises after a few CLKIN1 cycles. It exists so Verilator and Icarus can
// elaborate tops that instantiate MMCME2_BASE without the vendor simulation library.
// Port and parameter names and defaults follow UG953 and the MMCME2_BASE blackbox in Yosys techlibs/xilinx/cells_xtra.v.

/* verilator lint_off DECLFILENAME */ // the file is named after the vendor and block, the module after the primitive
`default_nettype none

// The stand-in ignores every parameter; they are declared so instances elaborate with their real overrides.
/* verilator lint_off UNUSEDPARAM */
module MMCME2_BASE #(
    parameter BANDWIDTH = "OPTIMIZED",
    parameter real CLKFBOUT_MULT_F = 5.000,    // M, 2.000 to 64.000
    parameter real CLKFBOUT_PHASE = 0.000,
    parameter real CLKIN1_PERIOD = 0.000,      // ns
    parameter real CLKOUT0_DIVIDE_F = 1.000,   // O for CLKOUT0, 1.000 to 128.000
    parameter real CLKOUT0_DUTY_CYCLE = 0.500,
    parameter real CLKOUT0_PHASE = 0.000,
    parameter integer CLKOUT1_DIVIDE = 1,
    parameter real CLKOUT1_DUTY_CYCLE = 0.500,
    parameter real CLKOUT1_PHASE = 0.000,
    parameter integer CLKOUT2_DIVIDE = 1,
    parameter real CLKOUT2_DUTY_CYCLE = 0.500,
    parameter real CLKOUT2_PHASE = 0.000,
    parameter integer CLKOUT3_DIVIDE = 1,
    parameter real CLKOUT3_DUTY_CYCLE = 0.500,
    parameter real CLKOUT3_PHASE = 0.000,
    parameter CLKOUT4_CASCADE = "FALSE",
    parameter integer CLKOUT4_DIVIDE = 1,
    parameter real CLKOUT4_DUTY_CYCLE = 0.500,
    parameter real CLKOUT4_PHASE = 0.000,
    parameter integer CLKOUT5_DIVIDE = 1,
    parameter real CLKOUT5_DUTY_CYCLE = 0.500,
    parameter real CLKOUT5_PHASE = 0.000,
    parameter integer CLKOUT6_DIVIDE = 1,
    parameter real CLKOUT6_DUTY_CYCLE = 0.500,
    parameter real CLKOUT6_PHASE = 0.000,
    parameter integer DIVCLK_DIVIDE = 1,       // D, 1 to 106
    parameter real REF_JITTER1 = 0.010,
    parameter STARTUP_WAIT = "FALSE"
) (
    output wire CLKFBOUT,
    output wire CLKFBOUTB,
    output wire CLKOUT0,
    output wire CLKOUT0B,
    output wire CLKOUT1,
    output wire CLKOUT1B,
    output wire CLKOUT2,
    output wire CLKOUT2B,
    output wire CLKOUT3,
    output wire CLKOUT3B,
    output wire CLKOUT4,
    output wire CLKOUT5,
    output wire CLKOUT6,
    output wire LOCKED,
    input  wire CLKFBIN,
    input  wire CLKIN1,
    input  wire PWRDWN,
    input  wire RST
);
    /* verilator lint_on UNUSEDPARAM */
    assign CLKFBOUT  = CLKIN1;
    assign CLKFBOUTB = ~CLKIN1;
    assign CLKOUT0   = CLKIN1;
    assign CLKOUT0B  = ~CLKIN1;
    assign CLKOUT1   = CLKIN1;
    assign CLKOUT1B  = ~CLKIN1;
    assign CLKOUT2   = CLKIN1;
    assign CLKOUT2B  = ~CLKIN1;
    assign CLKOUT3   = CLKIN1;
    assign CLKOUT3B  = ~CLKIN1;
    assign CLKOUT4   = CLKIN1;
    assign CLKOUT5   = CLKIN1;
    assign CLKOUT6   = CLKIN1;

    // LOCKED: high after 7 CLKIN1 edges out of reset or power-down.
    reg [2:0] lock_count = 3'd0;
    always @(posedge CLKIN1) begin
        if (RST || PWRDWN) lock_count <= 3'd0;
        else if (lock_count != 3'd7) lock_count <= lock_count + 3'd1;
    end
    assign LOCKED = (lock_count == 3'd7);

    // The feedback input has no effect in this stand-in.
    wire unused = &{1'b0, CLKFBIN};
endmodule

`default_nettype wire
