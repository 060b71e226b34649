// Lint and simulation stand-in for the Xilinx 7-series BUFG global clock buffer: O follows I, with no delay.
// Port names follow UG953 and the BUFG blackbox in Yosys techlibs/xilinx/cells_sim.v.

/* verilator lint_off DECLFILENAME */ // the file is named after the vendor and block, the module after the primitive
`default_nettype none

module BUFG (
    output wire O,
    input  wire I
);
    assign O = I;
endmodule

`default_nettype wire
