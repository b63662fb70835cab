* io_tio.s -- SIO, TIO and HIO condition codes, with I/O interruptions
* disabled throughout so that ending status stays pending:
*   a missing device (0FF): SIO, TIO, HIO all CC 3;
*   an idle device: TIO CC 0, HIO CC 0;
*   right after SIO: TIO CC 2 (busy), SIO CC 2 (busy);
*   once done: TIO CC 1 and the CSW stored (channel end + device end),
*   which clears the pending status: TIO again CC 0;
*   HIO of a finished operation with status pending: CC 1, CSW stored;
*   HIO of a busy device: CC 2 (halted); then its status can be cleared
*   and the device is available again.
* COVERS: SIO TIO HIO io-status
         INCLUDE 'lib.s'
         TSTART
         SIO   X'0FF'
         CHECKCC 3,1
         TIO   X'0FF'
         CHECKCC 3,2
         HIO   X'0FF'
         CHECKCC 3,3
         TIO   X'009'
         CHECKCC 0,4
         HIO   X'009'
         CHECKCC 0,5
         LA    R2,X'0E'
         TIO   0(R2)                   ; the device address from a register
         CHECKCC 0,6
         LI    R2,0x12340000
         TIO   X'009'(R2)              ; only EA & 0xFFFF names the device
         CHECKCC 0,7
         LI    R2,0x000100FF
         TIO   0(R2)                   ; device 0FF: none
         CHECKCC 3,8
* start a console write and watch it
         LA    R15,WR
         ST    R15,LC_CAW
         SIO   X'009'
         CHECKCC 0,9
         TIO   X'009'
         CHECKCC 2,10
         SIO   X'009'
         CHECKCC 2,11
         LHI   R3,0
POLL     AHI   R3,1
         TIO   X'009'
         BRC   2,POLL                  ; CC 2: still busy
         CHECKCC 1,12
         CHECKW LC_CSW,WR+8,13
         CHECKCSW UNIT_CE|UNIT_DE,0,0,14
         CHI   R3,2                    ; it took a while
         BRC   10,T14
         FAIL  15
T14      TIO   X'009'
         CHECKCC 0,16
* HIO with status pending
         SIO   X'009'
         LHI   R3,5000
DELAY    BRCT  R3,DELAY
         LHI   R1,0
         ST    R1,LC_CSW
         ST    R1,LC_CSW+4
         HIO   X'009'
         CHECKCC 1,17
         CHECKW LC_CSW,WR+8,18
         CHECKCSW UNIT_CE|UNIT_DE,0,0,19
         TIO   X'009'
         CHECKCC 0,20
* HIO of a busy device: halted
         SIO   X'009'
         HIO   X'009'
         CHECKCC 2,21
         LHI   R3,0
DRAIN    AHI   R3,1
         CHI   R3,1000
         BRC   8,F20
         TIO   X'009'
         BRC   6,DRAIN                 ; CC 1 (status) or 2: again
         J     T21
F20      FAIL  22
T21      TIO   X'009'
         CHECKCC 0,23
         LHI   R3,0                    ; the poll count depends on timing
         PASS
WR       CCW   CCW_CMD_WRITE,MSG,0,40
MSG      DC    CL40'TIO AND HIO TEST LINE'
         END
