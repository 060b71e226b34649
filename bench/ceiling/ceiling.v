// Ceiling reference for the Tang Nano 9K open flow: one LUT level between registers.
// din -> 4-bit shift register -> one LUT4 -> register -> dout. Clocked straight from the 27 MHz pin (no PLL);
// nextpnr's --freq sets the timing target and its report gives the reg-to-reg Fmax of this one-LUT path.
module ceiling (
    input  wire clk,
    input  wire din,
    output reg  dout
);
    reg [3:0] sr = 4'b0;
    always @(posedge clk) begin
        sr   <= {sr[2:0], din};
        dout <= (sr[0] ^ sr[1]) & (sr[2] | ~sr[3]);
    end
endmodule
