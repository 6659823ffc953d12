import { ArrayMaxSize, ArrayMinSize, IsInt, Max, Min } from 'class-validator';

/** The body of `POST /reports/forecast`: past weekly sales of an item, and what to simulate. */
export class ForecastRequest {
  @ArrayMinSize(4)
  @ArrayMaxSize(520)
  @IsInt({ each: true })
  @Min(0, { each: true })
  weeklySales!: number[];

  /** Weeks ahead to forecast. */
  @IsInt()
  @Min(1)
  @Max(52)
  weeks!: number;

  @IsInt()
  @Min(100)
  @Max(200_000)
  simulations!: number;

  /** Total units sold in `weeks` weeks, in one simulated future. */
  total(random: () => number): number {
    let sum = 0;
    for (let w = 0; w < this.weeks; w++) sum += this.weeklySales[Math.floor(random() * this.weeklySales.length)]!;
    return sum;
  }
}
